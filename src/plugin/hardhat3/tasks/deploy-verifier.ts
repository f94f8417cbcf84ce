/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * `npx hardhat deploy-verifier` in Hardhat 3: the shared action (../../actions/deploy.ts); --verify publishes the
 * sources with the project's hardhat-verify 3 (../verify.ts), everything it needs checked before deploying.
 */
import { deployVerifierAction } from "../../actions/deploy";
import { publishSources } from "../../actions/explorer";
import { boundary, circuitNumbers, hardhat3Host, required, whole } from "../common";

export default async function deployVerifier(args: any, hre: any) {
  return boundary(async () => {
    const host = hardhat3Host(hre);
    const model = required(args.model, "--model", "deploy-verifier --model lenet5");
    const network = args.verify ? await host.network() : undefined;
    const publish = network ? await (await import("../verify")).hardhat3Explorer(hre, network) : undefined;
    return deployVerifierAction(
      { ...circuitNumbers(args), model, confirmations: whole(args.confirmations, "--confirmations") } as any,
      host,
      publish && network ? (r, recordFile) => publishSources(r, { root: host.root, recordFile, network: network.name, major: 3 }, publish) : undefined,
    );
  });
}
