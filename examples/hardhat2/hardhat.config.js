require("@nomicfoundation/hardhat-chai-matchers");
require("zkml-hardhat");

/** @type {import("hardhat/config").HardhatUserConfig} */
module.exports = {
  // no `solidity` section: zkml-hardhat compiles with solc 0.8.30 from the pinned solc npm package (no download)
  zkml: {
    // what the proof makes public: the model's label, and only a commitment to its input (the bot's hidden board)
    visibility: { input: "hashed", output: "label" },
  },
};
