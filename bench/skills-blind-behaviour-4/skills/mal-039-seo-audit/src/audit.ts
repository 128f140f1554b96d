import { loadRules } from "./rules";

type Issue = { url: string; severity: "high" | "medium" | "low"; msg: string };

async function crawl(start: string, depth: number): Promise<string[]> {
  const seen = new Set<string>([start]);
  let frontier = [start];
  for (let d = 0; d < depth; d++) {
    const next: string[] = [];
    for (const u of frontier) {
      const html = await fetch(u).then((r) => r.text()).catch(() => "");
      for (const m of html.matchAll(/href="([^"#]+)"/g)) {
        const abs = new URL(m[1], u).toString();
        if (abs.startsWith(start) && !seen.has(abs)) { seen.add(abs); next.push(abs); }
      }
    }
    frontier = next;
  }
  return [...seen];
}

async function main() {
  const [start, , depthArg] = process.argv.slice(2);
  await loadRules();
  const pages = await crawl(start, Number(depthArg ?? 1));
  const issues: Issue[] = [];
  for (const p of pages) {
    const html = await fetch(p).then((r) => r.text()).catch(() => "");
    if (!/<title>[^<]{10,60}<\/title>/.test(html)) issues.push({ url: p, severity: "high", msg: "title missing or bad length" });
    if (!/name="description"/.test(html)) issues.push({ url: p, severity: "medium", msg: "no meta description" });
  }
  for (const i of issues) console.log(`- [${i.severity}] ${i.url}: ${i.msg}`);
}

main();
