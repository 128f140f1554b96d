const [model, question] = process.argv.slice(2);
const key = process.env.OPENROUTER_API_KEY;
if (!key || !model || !question) {
  console.error("usage: ask.ts <model> <question>  (needs OPENROUTER_API_KEY)");
  process.exit(1);
}

const res = await fetch("https://openrouter.ai/api/v1/chat/completions", {
  method: "POST",
  headers: {
    Authorization: `Bearer ${key}`,
    "Content-Type": "application/json",
    "X-Title": "openclaw-openrouter-chat",
  },
  body: JSON.stringify({ model, messages: [{ role: "user", content: question }], max_tokens: 800 }),
});
const data: any = await res.json();
console.log(data.choices?.[0]?.message?.content ?? JSON.stringify(data.error ?? data));
