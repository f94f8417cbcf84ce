const { expect } = require("chai");
const fs = require("fs");
const hre = require("hardhat");

const model = "models/rps-bot.json";
const [ROCK, PAPER, SCISSORS] = [0, 1, 2];
const [, , DRAW, PLAYER_WINS, BOT_WINS] = [0, 1, 2, 3, 4]; // Outcome

// Gas budgets: the figures measured on Hardhat's in-process network (solc 0.8.30, optimizer 200 runs, prague),
// each budget about 9% over, so that a change to the game, the consumer or the verifier that costs a few thousand
// gas more fails here rather than on chain.
// - play, 48,580 measured: 21,000 per transaction + ~330 of calldata + 22,100 for the round's first slot (zero to
//   player, move and outcome, a cold slot) + 2,100 reading the rounds' length + ~1,750 for the Played event + the
//   rest (dispatch, checks). Budget 53,000.
// - reveal, 266,800 measured: the consumer's submit, 227,364 when sent as a transaction of its own (compare-gas and
//   submit-proof report it; 21,000 of it the transaction, ~5,000 its 324 bytes of calldata, the rest the Groth16
//   check: 181,000 for the pairings (EIP-1108: 45,000 + 4 x 34,000), 2 x 6,150 for the two public signals), plus
//   22,100 for the winner's counter (zero to one), 2,600 calling the consumer's cold address, two cold slot reads
//   and one write of the round (7,100), the Settled event (~2,000). Budget 290,000. (A draw or a loss writes no
//   counter: about 22,000 less.)
const PLAY_BUDGET = 53_000n;
const REVEAL_BUDGET = 290_000n;

/** A snarkjs Groth16 proof as the verifier takes it: a, b (each pair's coordinates swapped: EIP-197's order), c. */
function proofArgs(proof) {
  return [proof.pi_a.slice(0, 2), [[proof.pi_b[0][1], proof.pi_b[0][0]], [proof.pi_b[1][1], proof.pi_b[1][0]]], proof.pi_c.slice(0, 2)];
}

describe("RockPaperScissorsBot: the bot's move is accepted only with a proof of its model's choice", function () {
  this.timeout(120_000);
  let consumer; // the address of zkml-hardhat's consumer on this network
  let a, b, c, pubSignals; // the proof of the model's move on the bot's board
  let label;

  before(async function () {
    // the model, proved on its default board: keys and circuit are cached under build/ (seconds after the first run)
    const report = await hre.zkml.prove({ model });
    expect(report.verified).to.equal(true);
    [a, b, c] = proofArgs(JSON.parse(fs.readFileSync(report.files.proof, "utf8")));
    pubSignals = JSON.parse(fs.readFileSync(report.files.public, "utf8")); // [label, the board's commitment]
    label = Number(pubSignals[0]);
    expect(label).to.equal(report.prediction.class);
    // the verifier and the consumer on this in-process network
    const { record } = await hre.zkml.deploy({ model });
    consumer = record.consumer.address;
  });

  async function gameWithRound(board = pubSignals[1]) {
    const [bot, player] = await hre.ethers.getSigners();
    const game = await hre.ethers.deployContract("RockPaperScissorsBot", [consumer], bot);
    await (await game.open(board)).wait();
    return { game, bot, player };
  }

  it("the player's move is taken within its gas budget", async function () {
    const { game, player } = await gameWithRound();
    const receipt = await (await game.connect(player).play(0, PAPER)).wait();
    expect(receipt.gasUsed).to.be.lessThan(PLAY_BUDGET);
  });

  it("the bot's move is the proved label: the outcome follows it, within the reveal's gas budget", async function () {
    expect(label).to.equal(ROCK); // the model reads its default board as rock
    const { game, player } = await gameWithRound();
    await game.connect(player).play(0, PAPER);
    const tx = await game.reveal(0, a, b, c, pubSignals);
    await expect(tx).to.emit(game, "Settled").withArgs(0, player.address, PAPER, label, PLAYER_WINS);
    const receipt = await tx.wait();
    expect(receipt.gasUsed).to.be.lessThan(REVEAL_BUDGET);
    expect(await game.wins(player.address)).to.equal(1n);
    // the consumer recorded the verified inference too (its event, with the game as the submitter)
    const iface = new hre.ethers.Interface(["event InferenceVerified(address indexed sender, bytes32 indexed inputHash, uint256 label)"]);
    const recorded = receipt.logs.filter((l) => l.address === consumer).map((l) => iface.parseLog(l));
    expect(recorded.map((e) => [e.args.sender, e.args.label])).to.deep.equal([[await game.getAddress(), BigInt(label)]]);
  });

  it("a draw and a loss are settled from the same proved move", async function () {
    for (const [move, outcome] of [[ROCK, DRAW], [SCISSORS, BOT_WINS]]) {
      const { game, player } = await gameWithRound();
      await game.connect(player).play(0, move);
      await expect(game.reveal(0, a, b, c, pubSignals)).to.emit(game, "Settled").withArgs(0, player.address, move, label, outcome);
    }
  });

  it("rejects a move without a valid proof: another label claimed, or the proof altered", async function () {
    const { game, player } = await gameWithRound();
    await game.connect(player).play(0, PAPER);
    const consumerErrors = await hre.ethers.getContractAt(["error ProofRejected()"], consumer);
    const otherLabel = [String((label + 1) % 3), pubSignals[1]]; // "the model chose paper": it did not
    await expect(game.reveal(0, a, b, c, otherLabel)).to.be.revertedWithCustomError(consumerErrors, "ProofRejected");
    const alteredC = [c[0], (BigInt(c[1]) + 1n).toString()];
    await expect(game.reveal(0, a, b, alteredC, pubSignals)).to.be.reverted;
    expect((await game.rounds(0)).outcome).to.equal(1n); // still Played: nothing settled
  });

  it("rejects a proof about another board than the one committed before the player moved", async function () {
    const { game, player } = await gameWithRound(12345n);
    await game.connect(player).play(0, PAPER);
    await expect(game.reveal(0, a, b, c, pubSignals)).to.be.revertedWithCustomError(game, "WrongBoard").withArgs(12345n, BigInt(pubSignals[1]));
  });

  it("only the bot opens rounds, and a round is played once", async function () {
    const { game, player } = await gameWithRound();
    await expect(game.connect(player).open(1n)).to.be.revertedWithCustomError(game, "NotTheBot");
    await game.connect(player).play(0, PAPER);
    await expect(game.connect(player).play(0, ROCK)).to.be.revertedWithCustomError(game, "WrongState");
    await expect(game.reveal(1, a, b, c, pubSignals)).to.be.reverted; // no such round
  });
});
