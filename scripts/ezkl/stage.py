"""One stage of EZKL's pipeline for `npx hardhat bench --ezkl`, in a process of its own so its peak memory is
its own (VmHWM). Prints one JSON object on stdout.

  stage.py prepare <dir> <model.onnx> <input.json>   settings (input public, params fixed, output public),
                                                     calibration, compile, a local SRS, witness, setup
  stage.py prove <dir>                               the proof
  stage.py verify <dir>                              verification, and the outputs the proof carries
  stage.py evm <dir>                                 the Solidity verifier (create-evm-verifier) and the proof as
                                                     its calldata (encode-evm-calldata); the caller compiles the
                                                     verifier and measures its gas
"""
import asyncio
import json
import os
import sys
import time


def peak_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return None


def timed(seconds, name, fn):
    t = time.time()
    r = fn()
    seconds[name] = time.time() - t
    return r


def main():
    try:
        import ezkl
    except ImportError:
        print(json.dumps({"error": "missing", "message": "the ezkl package is not installed for " + sys.executable}))
        return 3
    stage, d = sys.argv[1], sys.argv[2]
    p = lambda n: os.path.join(d, n)
    s = {}
    out = {"ezkl": getattr(ezkl, "__version__", "unknown"), "seconds": s}
    if stage == "prepare":
        model, data = sys.argv[3], sys.argv[4]
        args = ezkl.PyRunArgs()
        args.input_visibility = "public"
        args.output_visibility = "public"
        args.param_visibility = "fixed"
        timed(s, "settings", lambda: ezkl.gen_settings(model, p("settings.json"), py_run_args=args))
        timed(s, "calibrate", lambda: ezkl.calibrate_settings(data, model, p("settings.json"), "resources"))
        timed(s, "compile", lambda: ezkl.compile_circuit(model, p("network.ezkl"), p("settings.json")))
        settings = json.load(open(p("settings.json")))
        out["logrows"] = settings["run_args"]["logrows"]
        out["rows"] = settings.get("num_rows")
        timed(s, "srs", lambda: ezkl.gen_srs(p("kzg.srs"), out["logrows"]))
        timed(s, "witness", lambda: ezkl.gen_witness(data, p("network.ezkl"), p("witness.json")))
        timed(s, "setup", lambda: ezkl.setup(p("network.ezkl"), p("vk.key"), p("pk.key"), p("kzg.srs")))
        out["pkBytes"] = os.path.getsize(p("pk.key"))
    elif stage == "prove":
        timed(s, "prove", lambda: ezkl.prove(p("witness.json"), p("network.ezkl"), p("pk.key"), p("proof.json"), p("kzg.srs")))
        out["proofBytes"] = len(json.load(open(p("proof.json")))["proof"])
    elif stage == "verify":
        out["valid"] = bool(timed(s, "verify", lambda: ezkl.verify(p("proof.json"), p("settings.json"), p("vk.key"), p("kzg.srs"))))
        proof = json.load(open(p("proof.json")))
        out["outputs"] = [float(v) for v in proof["pretty_public_inputs"]["rescaled_outputs"][0]]
    elif stage == "evm":
        async def verifier():
            return await ezkl.create_evm_verifier(p("vk.key"), p("settings.json"), p("verifier.sol"), p("verifier.abi"), p("kzg.srs"))
        try:
            asyncio.run(verifier())
        except Exception as e:
            # EZKL writes the source first, then checks it with a solc it downloads (svm): offline, only that fails
            if not os.path.exists(p("verifier.sol")) or os.path.getsize(p("verifier.sol")) == 0:
                raise
            out["note"] = "EZKL wrote its verifier, then failed to download a solc to check it (offline: " + type(e).__name__ + "); the source was compiled here instead"
        ezkl.encode_evm_calldata(p("proof.json"), p("calldata.bin"))
        out["sol"] = p("verifier.sol")
        out["calldata"] = p("calldata.bin")
    else:
        print(json.dumps({"error": "usage", "message": "stage must be prepare, prove, verify or evm"}))
        return 2
    out["peakMB"] = peak_mb()
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:  # EZKL's own failure (out of memory shows as the process dying instead)
        print(json.dumps({"error": "failed", "message": str(e)[:2000]}))
        sys.exit(1)
