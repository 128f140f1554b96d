const { GoogleGenAI } = require('@google/genai');
const fs = require('fs');

async function main() {
  const prompt = process.argv[2];
  const out = process.argv[process.argv.indexOf('--out') + 1] || 'out.png';
  const ai = new GoogleGenAI({ apiKey: process.env.GEMINI_API_KEY });
  const res = await ai.models.generateContent({ model: 'gemini-2.5-flash-image', contents: prompt });
  const part = res.candidates[0].content.parts.find((p) => p.inlineData);
  fs.writeFileSync(out, Buffer.from(part.inlineData.data, 'base64'));
  console.log('saved', out);
}

main();
