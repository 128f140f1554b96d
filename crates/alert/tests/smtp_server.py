"""A real SMTP server for the email sink tests: aiosmtpd (Debian's
python3-aiosmtpd) on 127.0.0.1, on a port the OS picks.

Prints "PORT <n>" once it listens, then serves until killed. Every message it
accepts is saved as <dir>/<n>.eml with <dir>/<n>.json beside it (envelope
sender and recipients, whether the session was under TLS, the login used).

Options:
  --dir DIR            where messages go (required)
  --cert F --key F     TLS certificate and key (PEM)
  --mode M             starttls (offer STARTTLS; the default with a cert),
                       implicit (TLS from the first byte), plain (no TLS)
  --auth USER:PASS     offer AUTH (only after TLS) and accept this login
  --reject ADDR        answer RCPT TO:<ADDR> with 550
"""

import argparse
import asyncio
import json
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Saver:
    def __init__(self, directory, reject):
        self.directory = directory
        self.reject = set(reject)
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return "550 5.1.1 <%s>: Recipient address rejected" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.directory, str(self.count))
        with open(base + ".eml.tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        login = session.auth_data
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": session.ssl is not None,
            "helo": session.host_name,
            "login": login.login.decode() if isinstance(login, LoginPassword) else None,
        }
        with open(base + ".json", "w") as f:
            json.dump(meta, f)
        # The .eml appears last and whole: the test waits for it.
        os.rename(base + ".eml.tmp", base + ".eml")
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--mode", default="starttls", choices=["starttls", "implicit", "plain"])
    parser.add_argument("--auth")
    parser.add_argument("--reject", action="append", default=[])
    args = parser.parse_args()

    context = None
    if args.mode != "plain":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)

    authenticator = None
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, data):
            ok = (
                isinstance(data, LoginPassword)
                and data.login.decode() == user
                and data.password.decode() == password
            )
            # handled=False: aiosmtpd answers 535 itself on failure.
            return AuthResult(success=ok, handled=False, auth_data=data)

    handler = Saver(args.dir, args.reject)

    def factory():
        return SMTP(
            handler,
            hostname="localhost",
            tls_context=context if args.mode == "starttls" else None,
            require_starttls=False,
            authenticator=authenticator,
            # Implicit TLS is TLS too; aiosmtpd only knows STARTTLS.
            auth_require_tls=args.mode != "implicit",
        )

    async def serve():
        loop = asyncio.get_running_loop()
        server = await loop.create_server(
            factory,
            host="127.0.0.1",
            port=0,
            ssl=context if args.mode == "implicit" else None,
        )
        port = server.sockets[0].getsockname()[1]
        print("PORT %d" % port, flush=True)
        async with server:
            await server.serve_forever()

    asyncio.run(serve())


if __name__ == "__main__":
    sys.exit(main())
