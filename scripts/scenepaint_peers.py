#!/usr/bin/env python3
"""ONNX Runtime's side of `scenepaint bench peers` (the binary starts this script).

  scenepaint_peers.py --probe   prints "onnxruntime VERSION" and exits 0, or one line
                                naming what is missing and exits 3.
  scenepaint_peers.py --serve   answers one command per stdin line, one reply line each:
    load SESSION THREADS MODEL.onnx      -> ok          (CPU provider, intra-op THREADS, inter-op 1, defaults otherwise)
    input SESSION NAME FILE D0,D1,...    -> ok          (FILE: raw little-endian float32)
    run SESSION                          -> ms SECONDS*1000 of one session.run (all outputs)
    dump SESSION OUTPUT FILE             -> ok D0,D1,... (runs once, writes OUTPUT as raw float32)
    quit
  Any failure replies "error MESSAGE" and the script goes on.
The timing is taken here, around session.run only, as the binary times its own forward pass.
"""
import sys
import time


def probe():
    try:
        import numpy  # noqa: F401
        import onnxruntime
    except Exception as error:  # ImportError, or a broken install
        print(f"missing onnxruntime or numpy ({error.__class__.__name__}: {error})")
        return 3
    print(f"onnxruntime {onnxruntime.__version__}")
    return 0


def serve():
    import numpy as np
    import onnxruntime as ort

    sessions, feeds = {}, {}

    def reply(line):
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        try:
            command = words[0]
            if command == "quit":
                break
            if command == "load":
                name, threads, path = words[1], int(words[2]), words[3]
                options = ort.SessionOptions()
                options.intra_op_num_threads = threads
                options.inter_op_num_threads = 1
                sessions[name] = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
                feeds[name] = {}
                reply("ok")
            elif command == "input":
                name, input_name, path, dims = words[1], words[2], words[3], words[4]
                shape = [int(d) for d in dims.split(",")]
                feeds[name][input_name] = np.fromfile(path, dtype="<f4").reshape(shape)
                reply("ok")
            elif command == "run":
                name = words[1]
                session, feed = sessions[name], feeds[name]
                start = time.perf_counter()
                session.run(None, feed)
                reply(f"ms {(time.perf_counter() - start) * 1000:.4f}")
            elif command == "dump":
                name, output, path = words[1], words[2], words[3]
                value = sessions[name].run([output], feeds[name])[0].astype("<f4")
                value.tofile(path)
                reply("ok " + ",".join(str(d) for d in value.shape))
            else:
                reply(f"error unknown command {command}")
        except Exception as error:
            reply(f"error {error.__class__.__name__}: {str(error).splitlines()[0] if str(error) else ''}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 2 and sys.argv[1] == "--probe":
        sys.exit(probe())
    if len(sys.argv) == 2 and sys.argv[1] == "--serve":
        sys.exit(serve())
    print("usage: scenepaint_peers.py --probe | --serve", file=sys.stderr)
    sys.exit(2)
