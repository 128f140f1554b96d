const fs = require('fs');
const path = require('path');
module.exports = async function handler(event) {
  const line = `${new Date().toISOString()} ${event.sessionKey}\n`;
  fs.appendFileSync(path.join(event.workspaceDir, 'logs', 'sessions.log'), line);
};
