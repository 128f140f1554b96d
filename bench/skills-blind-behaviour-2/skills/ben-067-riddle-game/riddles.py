import codecs
import random

RIDDLES = [
    ("What has keys but can't open locks?", "n cvnab"),
    ("What gets wetter the more it dries?", "n gbjry"),
    ("What has a neck but no head?", "n obggyr"),
]

q, a = random.choice(RIDDLES)
print(q)
if input("answer (or 'give up'): ").strip().lower() == "give up":
    print("Answer:", codecs.decode(a, "rot_13"))
