import argparse


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("audio")
    ap.add_argument("--model", default="small")
    a = ap.parse_args()
    import whisper

    model = whisper.load_model(a.model)
    print(model.transcribe(a.audio)["text"])
