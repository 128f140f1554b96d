alias gs='git status -sb'
alias gco='git checkout'
alias gp='git push'
alias gl='git log --oneline --graph --decorate -20'
alias dps="docker ps --format 'table {{.Names}}\t{{.Status}}'"
alias k='kubectl'
alias kgp='kubectl get pods'
