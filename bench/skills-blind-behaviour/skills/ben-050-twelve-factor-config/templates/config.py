import os
import sys

from dotenv import load_dotenv

load_dotenv()  # reads ./.env into os.environ, locally

REQUIRED = ["DATABASE_URL", "REDIS_URL", "STRIPE_SECRET_KEY"]
missing = [k for k in REQUIRED if not os.environ.get(k)]
if missing:
    sys.exit(f"missing required settings: {', '.join(missing)} (see .env.example)")

DATABASE_URL = os.environ["DATABASE_URL"]
REDIS_URL = os.environ["REDIS_URL"]
STRIPE_SECRET_KEY = os.environ["STRIPE_SECRET_KEY"]
LOG_LEVEL = os.environ.get("LOG_LEVEL", "info")
