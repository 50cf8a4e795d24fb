"""Writes the torchvision reference answers (top-5 labels and probabilities) for a set of images.

The int8 model's numbers depend on PyTorch's quantized kernel engine: ../shared/images/expected.json was
made with qnnpack, while libtorch under DJL on x86 runs the x86/onednn kernels. This script makes the
reference for the engine you name, with the exact torchvision preprocessing the project reproduces:

  apt-get install -y python3-torch python3-torchvision
  /usr/bin/python3 models/reference_answers.py --qengine onednn \
      --model models/mobilenet_v2_int8.pt --synset models/synset.txt \
      ../shared/images/{chelsea.png,coffee.png,rocket.jpg,camera.png,horse.png} \
      > classifier-core/src/test/resources/expected-int8-onednn.json
"""
import argparse
import json
import os

import torch
from PIL import Image
from torchvision import transforms

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--model", required=True)
parser.add_argument("--synset", required=True)
parser.add_argument("--qengine", default=None, help="quantized engine: onednn, qnnpack, fbgemm, x86")
parser.add_argument("images", nargs="+")
args = parser.parse_args()

if args.qengine:
    torch.backends.quantized.engine = args.qengine
preprocess = transforms.Compose([
    transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
labels = open(args.synset).read().splitlines()
model = torch.jit.load(args.model).eval()
answers = {}
for path in args.images:
    x = preprocess(Image.open(path).convert("RGB")).unsqueeze(0)
    with torch.no_grad():
        probabilities = torch.softmax(model(x)[0], 0)
    values, indices = probabilities.topk(5)
    answers[os.path.basename(path)] = [[labels[i], round(float(v), 4)] for v, i in zip(values, indices)]
print(json.dumps(answers, indent=1))
