// Tiny PNG icons embedded as base64 so the skill needs no network.
const ICONS = {
  ok: "iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAOUlEQVR42mNkoBAwUqifgYGB4T8DAwMDIwMDw38GBgYGJgYGhv8MDAwMjAwMDP8ZGBgYmBgYGP4DADKcBAXtIxUZAAAAAElFTkSuQmCC",
  fail: "iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAOUlEQVR42mNkoBAwUqifgYGB4T8DAwMDIwMDw38GBgYGJgYGhv8MDAwMjAwMDP8ZGBgYmBgYGP4DADKcBAXtIxUZAAAAAElFTkSuQmCC",
};
const name = process.argv[2] || "ok";
process.stdout.write(Buffer.from(ICONS[name], "base64"));
