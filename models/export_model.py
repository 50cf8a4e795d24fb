"""Exports a torchvision ImageNet classifier to TorchScript for this project.

  python3 models/export_model.py --arch mobilenet_v2 --out mobilenet_v2.pt
  python3 models/export_model.py --arch mobilenet_v2 --quantize --out mobilenet_v2_int8.pt

Float models are traced with a dynamic batch dimension (the classifier batches concurrent requests).
--quantize uses torchvision's pretrained post-training-quantized variant (mobilenet_v2, mobilenet_v3_large,
resnet18, resnet50, googlenet, inception_v3, shufflenet_v2_*); such traces usually take one image per
pass, which the classifier detects. The output is checked against the eager model before it is written.
Needs internet once, for torchvision's pretrained weights.
"""
import argparse

import torch
import torchvision


def build(arch, quantize):
    if quantize:
        torch.backends.quantized.engine = "qnnpack" if "qnnpack" in torch.backends.quantized.supported_engines \
            else torch.backends.quantized.supported_engines[0]
        factory = getattr(torchvision.models.quantization, arch)
        return factory(pretrained=True, quantize=True).eval()
    factory = getattr(torchvision.models, arch)
    return factory(pretrained=True).eval()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--arch", default="mobilenet_v2", help="a torchvision.models name")
    parser.add_argument("--quantize", action="store_true", help="export the int8 quantized variant")
    parser.add_argument("--out", required=True, help="where to write the TorchScript file")
    args = parser.parse_args()

    model = build(args.arch, args.quantize)
    example = torch.rand(1, 3, 224, 224)
    with torch.no_grad():
        traced = torch.jit.trace(model, example)
        expected = model(example)
        actual = traced(example)
    if not torch.allclose(expected, actual, atol=1e-4):
        raise SystemExit("the traced model does not reproduce the eager model's output")
    if expected.shape != (1, 1000):
        print("note: the model outputs %s, not 1000 ImageNet classes: give the classifier a matching"
              " CLASSIFIER_SYNSET" % (tuple(expected.shape),))
    traced.save(args.out)
    print("wrote %s (%s, %s)" % (args.out, args.arch, "int8" if args.quantize else "float32"))


if __name__ == "__main__":
    main()
