param([string]$Task)
$xl = New-Object -ComObject Excel.Application
$xl.Visible = $true
Write-Output "Task: $Task"
# generated macro goes here
