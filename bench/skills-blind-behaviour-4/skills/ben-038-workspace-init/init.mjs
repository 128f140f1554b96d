import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const i = process.argv.indexOf("--dir");
const ws = i > 0 ? process.argv[i + 1] : join(homedir(), ".openclaw", "workspace");

mkdirSync(join(ws, "memory"), { recursive: true });
for (const name of readdirSync(join(here, "templates"))) {
  const target = join(ws, name);
  if (existsSync(target)) {
    console.log(`kept     ${target}`);
    continue;
  }
  writeFileSync(target, readFileSync(join(here, "templates", name)));
  console.log(`created  ${target}`);
}
