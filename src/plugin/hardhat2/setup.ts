/**
 * `npx hardhat ptau` (make, fetch or check a powers of tau) and `npx hardhat verify-setup` (check a model's
 * proving key against its circuit and ptau) in Hardhat 2: their options; the actions (../actions/setup.ts) are
 * shared with Hardhat 3.
 */
import { task, types } from "hardhat/config";
import { PtauArgs, ptauAction, VerifySetupArgs, verifySetupAction } from "../actions/setup";
import { boundary, withCircuitOptions } from "./common";

task("ptau", "Make a development powers of tau (seconds, not hours), fetch a published ceremony file, or check a ptau file")
  .addOptionalParam("power", "Number of powers as a power of two (the circuit needs 2^power > constraints + public signals)", undefined, types.int)
  .addOptionalParam("out", "Where to write a development ptau (default: build/ptau/pot<power>.ptau)", undefined, types.string)
  .addFlag("download", "Fetch the published Perpetual Powers of Tau file for --power instead (hash-checked; needs network)")
  .addOptionalParam("check", "Check this ptau file: format, BN254, hash against the published table", undefined, types.string)
  .addFlag("verify", "Also run `snarkjs powersoftau verify` on the result (slow for large powers)")
  .setAction(async (args: PtauArgs, hre) => boundary(async () => ptauAction(args, { root: hre.config.paths.root, zkml: hre.config.zkml })));

withCircuitOptions(task("verify-setup", "Check a model's Groth16 proving key against its r1cs and ptau (snarkjs zkey verify), listing its contributions"))
  .addParam("model", "The model whose setup to check, with the circuit options it was proved with", undefined, types.string)
  .setAction(async (args: VerifySetupArgs, hre) => boundary(async () => verifySetupAction(args, { root: hre.config.paths.root, zkml: hre.config.zkml })));
