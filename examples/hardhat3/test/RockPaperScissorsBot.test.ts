import assert from "node:assert/strict";
import fs from "node:fs";
import { before, describe, it } from "node:test";
import { Interface } from "ethers";
import hre, { network } from "hardhat";

const model = "models/rps-bot.json";
const [ROCK, PAPER, SCISSORS] = [0, 1, 2];
const [PLAYED, DRAW, PLAYER_WINS, BOT_WINS] = [1n, 2n, 3n, 4n]; // Outcome

// Gas budgets: the figures measured on Hardhat's in-process network (solc 0.8.30, optimizer 200 runs, prague),
// each budget about 9% over, so that a change to the game, the consumer or the verifier that costs a few thousand
// gas more fails here rather than on chain. They are the Hardhat 2 example's figures: same compiler, same EVM.
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
function proofArgs(proof: { pi_a: string[]; pi_b: string[][]; pi_c: string[] }) {
  return [proof.pi_a.slice(0, 2), [[proof.pi_b[0][1], proof.pi_b[0][0]], [proof.pi_b[1][1], proof.pi_b[1][0]]], proof.pi_c.slice(0, 2)] as const;
}

/** The custom error a transaction reverted with, by name, read with the contracts' interfaces. */
async function revertName(sent: Promise<unknown>, ...abis: Interface[]): Promise<string> {
  try {
    await sent;
  } catch (e: any) {
    const data: string | undefined = e?.data ?? e?.info?.error?.data;
    for (const abi of abis) {
      const parsed = data ? abi.parseError(data) : null;
      if (parsed) return parsed.name;
    }
    return `unparsed revert (${e?.shortMessage ?? e?.message})`;
  }
  return "no revert";
}

// the connection zkml-hardhat's tasks use (getOrCreate: one per network), so everything lands on one chain
const { ethers } = await network.getOrCreate();

describe("RockPaperScissorsBot: the bot's move is accepted only with a proof of its model's choice", () => {
  let consumer: string; // the address of zkml-hardhat's consumer on this network
  let a: any, b: any, c: any, pubSignals: string[]; // the proof of the model's move on the bot's board
  let label: number;
  const consumerErrors = new Interface(["error ProofRejected()", "error SignalOutOfField(uint256 index)"]);

  before(async () => {
    // the model, proved on its default board: keys and circuit are cached under build/ (seconds after the first run)
    const report = await hre.tasks.getTask("prove-model").run({ model });
    assert.equal(report.verified, true);
    [a, b, c] = proofArgs(JSON.parse(fs.readFileSync(report.files.proof, "utf8")));
    pubSignals = JSON.parse(fs.readFileSync(report.files.public, "utf8")); // [label, the board's commitment]
    label = Number(pubSignals[0]);
    assert.equal(label, report.prediction.class);
    // the verifier and the consumer on this in-process network
    const { record } = await hre.tasks.getTask("deploy-verifier").run({ model });
    consumer = record.consumer.address;
  });

  async function gameWithRound(board: bigint | string = pubSignals[1]) {
    const [bot, player] = await ethers.getSigners();
    const game = await ethers.deployContract("RockPaperScissorsBot", [consumer], bot);
    await (await game.open(board)).wait();
    return { game, bot, player };
  }

  it("the player's move is taken within its gas budget", async () => {
    const { game, player } = await gameWithRound();
    const receipt = await (await game.connect(player).play(0, PAPER)).wait();
    assert.ok(receipt.gasUsed < PLAY_BUDGET, `play: ${receipt.gasUsed} gas, budget ${PLAY_BUDGET}`);
  });

  it("the bot's move is the proved label: the outcome follows it, within the reveal's gas budget", async () => {
    assert.equal(label, ROCK); // the model reads its default board as rock
    const { game, player } = await gameWithRound();
    await game.connect(player).play(0, PAPER);
    const receipt = await (await game.reveal(0, a, b, c, pubSignals)).wait();
    assert.ok(receipt.gasUsed < REVEAL_BUDGET, `reveal: ${receipt.gasUsed} gas, budget ${REVEAL_BUDGET}`);
    const settled = receipt.logs.map((l: any) => game.interface.parseLog(l)).find((e: any) => e?.name === "Settled");
    assert.deepEqual([...settled.args], [0n, player.address, BigInt(PAPER), BigInt(label), PLAYER_WINS]);
    assert.equal(await game.wins(player.address), 1n);
    // the consumer recorded the verified inference too (its event, with the game as the submitter)
    const iface = new Interface(["event InferenceVerified(address indexed sender, bytes32 indexed inputHash, uint256 label)"]);
    const recorded = receipt.logs.filter((l: any) => l.address === consumer).map((l: any) => iface.parseLog(l)!);
    assert.deepEqual(recorded.map((e) => [e.args.sender, e.args.label]), [[await game.getAddress(), BigInt(label)]]);
  });

  it("a draw and a loss are settled from the same proved move", async () => {
    for (const [move, outcome] of [[ROCK, DRAW], [SCISSORS, BOT_WINS]] as const) {
      const { game, player } = await gameWithRound();
      await game.connect(player).play(0, move);
      await (await game.reveal(0, a, b, c, pubSignals)).wait();
      assert.equal((await game.rounds(0)).outcome, outcome);
    }
  });

  it("rejects a move without a valid proof: another label claimed, or the proof altered", async () => {
    const { game, player } = await gameWithRound();
    await game.connect(player).play(0, PAPER);
    const otherLabel = [String((label + 1) % 3), pubSignals[1]]; // "the model chose paper": it did not
    assert.equal(await revertName(game.reveal(0, a, b, c, otherLabel), consumerErrors), "ProofRejected");
    const alteredC = [c[0], (BigInt(c[1]) + 1n).toString()];
    assert.notEqual(await revertName(game.reveal(0, a, b, alteredC, pubSignals), consumerErrors), "no revert");
    assert.equal((await game.rounds(0)).outcome, PLAYED); // nothing settled
  });

  it("rejects a proof about another board than the one committed before the player moved", async () => {
    const { game, player } = await gameWithRound(12345n);
    await game.connect(player).play(0, PAPER);
    assert.equal(await revertName(game.reveal(0, a, b, c, pubSignals), game.interface), "WrongBoard");
  });

  it("only the bot opens rounds, and a round is played once", async () => {
    const { game, player } = await gameWithRound();
    assert.equal(await revertName(game.connect(player).open(1n), game.interface), "NotTheBot");
    await game.connect(player).play(0, PAPER);
    assert.equal(await revertName(game.connect(player).play(0, ROCK), game.interface), "WrongState");
  });
});
