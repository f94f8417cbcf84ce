/**
 * `npx hardhat ptau` (make, fetch or check a powers of tau) and `npx hardhat verify-setup` (check a model's
 * proving key against its circuit and ptau) in Hardhat 2 (options: the task table, ../actions/tasks.ts); the actions (../actions/setup.ts) are
 * shared with Hardhat 3.
 */
import { PtauArgs, ptauAction, VerifySetupArgs, verifySetupAction } from "../actions/setup";
import { boundary, defineTask } from "./common";

defineTask("ptau")
  .setAction(async (args: PtauArgs, hre) => boundary(async () => ptauAction(args, { root: hre.config.paths.root, zkml: hre.config.zkml })));

defineTask("verify-setup")
  .setAction(async (args: VerifySetupArgs, hre) => boundary(async () => verifySetupAction(args, { root: hre.config.paths.root, zkml: hre.config.zkml })));
