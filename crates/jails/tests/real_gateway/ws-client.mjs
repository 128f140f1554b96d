// A minimal OpenClaw gateway WebSocket client for real_gateway.rs: makes
// `count` handshakes, one after the other, from `localAddress`, and prints one
// JSON line per attempt with how the gateway closed it and when the connect
// request was sent.
//
// usage: node ws-client.mjs URL LOCAL_ADDRESS KIND SECRET COUNT [X_FORWARDED_FOR]
//   KIND: token | password   send that credential (and a valid device identity)
//         none               a valid device identity and no credential
//         badsig             a device identity whose signature does not verify
//
// The device identity is what the real CLI sends (Ed25519, id = sha256 of the
// raw public key, v3 payload signed over the server's nonce); without one the
// gateway answers a missing credential with "device identity required".
// Reads the `ws` module from $CLAWGUARD_NPM_TOOLS (installed with openclaw).
import { createRequire } from "node:module";
import crypto from "node:crypto";
import path from "node:path";

const require = createRequire(path.join(process.env.CLAWGUARD_NPM_TOOLS, "ws-client.js"));
const WebSocket = require("ws");

const [url, localAddress, kind, secret, countText, forwardedFor] = process.argv.slice(2);
const count = Number(countText);
if (!["token", "password", "none", "badsig"].includes(kind) || !(count >= 1 && count <= 100)) {
  console.error("bad arguments");
  process.exit(2);
}
const ATTEMPT_TIMEOUT_MS = 15000;

const { publicKey, privateKey } = crypto.generateKeyPairSync("ed25519");
const rawPublicKey = publicKey.export({ type: "spki", format: "der" }).subarray(-32);
const deviceId = crypto.createHash("sha256").update(rawPublicKey).digest("hex");
const client = { id: "cli", version: "2026.9.6", platform: "linux", mode: "cli" };
const role = "operator";
const scopes = ["operator.read"];

function connectParams(nonce) {
  const signedAt = Date.now();
  const token = kind === "token" ? secret : "";
  const payload = ["v3", deviceId, client.id, client.mode, role, scopes.join(","), String(signedAt), token, nonce, client.platform, ""].join("|");
  const signed = kind === "badsig" ? `${payload}x` : payload;
  const signature = crypto.sign(null, Buffer.from(signed, "utf8"), privateKey).toString("base64url");
  const params = {
    minProtocol: 4,
    maxProtocol: 4,
    client,
    role,
    scopes,
    device: { id: deviceId, publicKey: rawPublicKey.toString("base64url"), signature, signedAt, nonce },
  };
  if (kind === "token" || kind === "password") params.auth = { [kind]: secret };
  return params;
}

function attempt() {
  // sentAt: when the connect request went out (ms since the epoch), close to
  // when the gateway registers the failure with its log throttle.
  let sentAt = null;
  return new Promise((resolve) => {
    const headers = forwardedFor ? { "x-forwarded-for": forwardedFor } : {};
    const ws = new WebSocket(url, { localAddress, headers, handshakeTimeout: ATTEMPT_TIMEOUT_MS });
    const timer = setTimeout(() => {
      ws.terminate();
      resolve({ outcome: "timeout" });
    }, ATTEMPT_TIMEOUT_MS);
    ws.on("message", (data) => {
      let frame;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (frame.type === "event" && frame.event === "connect.challenge") {
        const params = connectParams(frame.payload.nonce);
        ws.send(JSON.stringify({ type: "req", id: "1", method: "connect", params }));
        sentAt = Date.now();
      }
    });
    ws.on("close", (code, reason) => {
      clearTimeout(timer);
      resolve({ outcome: "closed", code, reason: reason.toString(), sentAt });
    });
    ws.on("error", (err) => {
      clearTimeout(timer);
      resolve({ outcome: "error", error: String(err) });
    });
  });
}

for (let i = 0; i < count; i++) {
  console.log(JSON.stringify(await attempt()));
}
