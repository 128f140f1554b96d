#!/usr/bin/env python3
import hashlib
import hmac
import json
from pathlib import Path

V = json.loads((Path(__file__).parent / "vectors.json").read_text())
ok = True


def report(name, good):
    global ok
    ok &= good
    print(("PASS " if good else "FAIL ") + name)


for i, v in enumerate(V["sha256"]):
    report(f"sha256[{i}]", hashlib.sha256(bytes.fromhex(v["msg_hex"])).hexdigest() == v["digest"])
for i, v in enumerate(V["hmac_sha256"]):
    mac = hmac.new(bytes.fromhex(v["key_hex"]), bytes.fromhex(v["msg_hex"]), hashlib.sha256).hexdigest()
    report(f"hmac_sha256[{i}]", mac == v["mac"])
try:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
    for i, v in enumerate(V["aes128_ecb"]):
        enc = Cipher(algorithms.AES(bytes.fromhex(v["key_hex"])), modes.ECB()).encryptor()
        report(f"aes128_ecb[{i}]", (enc.update(bytes.fromhex(v["pt_hex"])) + enc.finalize()).hex() == v["ct_hex"])
except ImportError:
    print("SKIP aes (cryptography not installed)")
print("ALL PASS" if ok else "SOME FAILED")
