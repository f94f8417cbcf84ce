import { defineConfig } from "hardhat/config";
import hardhatEthers from "@nomicfoundation/hardhat-ethers";
import hardhatNodeTestRunner from "@nomicfoundation/hardhat-node-test-runner";
import zkml from "zkml-hardhat/hardhat3";

export default defineConfig({
  plugins: [hardhatEthers, hardhatNodeTestRunner, zkml],
  // no `solidity` section: zkml-hardhat compiles with solc 0.8.30 from the pinned solc npm package (no download)
  zkml: {
    // what the proof makes public: the model's label, and only a commitment to its input (the bot's hidden board);
    // no context: the game contract, not an account, calls the consumer, and a copied proof can only reveal the
    // same move for the same committed board (the default binds a proof to the account that submits it)
    visibility: { input: "hashed", output: "label", context: "none" },
  },
});
