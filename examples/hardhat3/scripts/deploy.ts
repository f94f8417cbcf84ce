// Deploys the model's verifier and consumer (zkml-hardhat's tasks), then the game pointing at the consumer.
//   npx hardhat run scripts/deploy.ts                      the in-process network (gone when the script ends)
//   npx hardhat run scripts/deploy.ts --network localhost  a node (`npx hardhat node`), or your testnet
import hre, { network } from "hardhat";

const model = "models/rps-bot.json";

// prove once: compiles the circuit, makes the keys and renders the verifier (cached under build/ afterwards)
const proof = await hre.tasks.getTask("prove-model").run({ model });
// the verifier and its consumer, recorded in deployments/<network>/ (redeployed only when they changed)
const { record } = await hre.tasks.getTask("deploy-verifier").run({ model });
// the connection the tasks used (getOrCreate: one per network), so the game lands on the same chain
const { ethers, networkName } = await network.getOrCreate();
const game = await ethers.deployContract("RockPaperScissorsBot", [record.consumer.address]);
await game.waitForDeployment();
console.log(`verifier ${record.verifier.address} (${record.verifier.gasUsed} gas)`);
console.log(`consumer ${record.consumer.address} (${record.consumer.gasUsed} gas)`);
console.log(`RockPaperScissorsBot ${await game.getAddress()} on ${networkName}`);
console.log(`the model's move on its default board: ${["rock", "paper", "scissors"][proof.prediction.class]} (proof ${proof.verified ? "verified" : "NOT verified"})`);
