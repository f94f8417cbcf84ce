// Deploys the model's verifier and consumer (zkml-hardhat), then the game pointing at the consumer.
//   npx hardhat run scripts/deploy.js                      the in-process network (gone when the script ends)
//   npx hardhat run scripts/deploy.js --network localhost  a node (`npx hardhat node`), or your testnet
const hre = require("hardhat");

const model = "models/rps-bot.json";

async function main() {
  // prove once: compiles the circuit, makes the keys and renders the verifier (cached under build/ afterwards)
  const proof = await hre.zkml.prove({ model });
  // the verifier and its consumer, recorded in deployments/<network>/ (redeployed only when they changed)
  const { record } = await hre.zkml.deploy({ model });
  const game = await hre.ethers.deployContract("RockPaperScissorsBot", [record.consumer.address]);
  await game.waitForDeployment();
  console.log(`verifier ${record.verifier.address} (${record.verifier.gasUsed} gas)`);
  console.log(`consumer ${record.consumer.address} (${record.consumer.gasUsed} gas)`);
  console.log(`RockPaperScissorsBot ${await game.getAddress()} on ${hre.network.name}`);
  console.log(`the model's move on its default board: ${["rock", "paper", "scissors"][proof.prediction.class]} (proof ${proof.verified ? "verified" : "NOT verified"})`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
