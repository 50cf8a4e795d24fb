"""Exports a torchvision ImageNet classifier to TorchScript or ONNX for this project.

  python3 models/export_model.py --arch mobilenet_v2 --out mobilenet_v2.pt
  python3 models/export_model.py --arch mobilenet_v2 --quantize --out mobilenet_v2_int8.pt
  python3 models/export_model.py --from-torchscript models/mobilenet_v2.pt --out mobilenet_v2.onnx

An --out ending in .onnx writes ONNX (opset 13, input "input" [N,3,224,224], output "logits" [N,1000],
dynamic batch), which the classifier runs on ONNX Runtime; --from-torchscript exports an existing
TorchScript file instead of a torchvision model, as the bundled mobilenet_v2.onnx was made from
mobilenet_v2.pt (with Debian bookworm's torch 1.13).

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
    parser.add_argument("--from-torchscript", metavar="FILE", help="export this TorchScript file instead")
    parser.add_argument("--out", required=True, help="where to write the model: .pt (TorchScript) or .onnx")
    args = parser.parse_args()

    example = torch.rand(1, 3, 224, 224)
    if args.from_torchscript:
        model = torch.jit.load(args.from_torchscript).eval()
    else:
        model = build(args.arch, args.quantize)
    if args.out.endswith(".onnx"):
        export_onnx(model, example, args.out)
        return

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


def export_onnx(model, example, out):
    torch.onnx.export(model, example, out, opset_version=13, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "n"}, "logits": {0: "n"}})
    try:
        import onnxruntime
    except ImportError:
        print("wrote %s (onnxruntime is not installed, so it was not checked)" % out)
        return
    batch = torch.rand(2, 3, 224, 224)
    with torch.no_grad():
        expected = model(batch).numpy()
    actual = onnxruntime.InferenceSession(out).run(None, {"input": batch.numpy()})[0]
    if abs(expected - actual).max() > 1e-4:
        raise SystemExit("the ONNX model does not reproduce the model's logits")
    print("wrote %s (ONNX, logits within %.1e of the model's)" % (out, abs(expected - actual).max()))


if __name__ == "__main__":
    main()
