#!/usr/bin/env python3
import json
import sys

import yaml
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment


def load_ctx(path):
    with open(path) as fh:
        return json.load(fh) if path.endswith(".json") else yaml.safe_load(fh)


def main():
    tpl_path, ctx_path = sys.argv[1], sys.argv[2]
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
    tpl = env.from_string(open(tpl_path).read())
    sys.stdout.write(tpl.render(**load_ctx(ctx_path)))


if __name__ == "__main__":
    main()
