// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// The consumer contract zkml-hardhat deploys next to the model's Groth16 verifier (`npx hardhat deploy-verifier`):
/// `submit` reverts unless the proof verifies, and returns the model's label. With this project's statement
/// (hardhat.config: input hashed, output label) there are two public signals: the label, then the Poseidon
/// commitment to the model's input, which stays hidden.
interface IInferenceConsumer {
    function submit(uint256[2] calldata a, uint256[2][2] calldata b, uint256[2] calldata c, uint256[2] calldata pubSignals) external returns (uint256 label);
}

/// Rock-paper-scissors against a bot that plays what its model chooses, and can prove it.
///
/// 1. The bot opens a round with a commitment to the board its model will read (the proof's input commitment).
/// 2. A player plays a move, not knowing the bot's: the board is hidden.
/// 3. The bot's move is accepted only with a proof that the model, on the committed board, chose it: the move is
///    the label the consumer returns after verifying the proof, never a number the bot sends. The commitment was
///    fixed before the player moved, so the bot can neither pick its move after seeing the player's nor play
///    anything but the model's choice.
///
/// A toy: a real game would add stakes and a deadline for the reveal (a bot that loses could just not reveal).
contract RockPaperScissorsBot {
    enum Move { Rock, Paper, Scissors } // the model's classes 0, 1, 2
    enum Outcome { Open, Played, Draw, PlayerWins, BotWins }

    struct Round {
        address player; // these three share one storage slot
        Move playerMove;
        Outcome outcome;
        uint256 board; // the Poseidon commitment to the bot's input
    }

    IInferenceConsumer public immutable consumer;
    address public immutable bot;
    Round[] public rounds;
    mapping(address => uint256) public wins;

    event RoundOpened(uint256 indexed round, uint256 board);
    event Played(uint256 indexed round, address indexed player, Move move);
    event Settled(uint256 indexed round, address indexed player, Move playerMove, Move botMove, Outcome outcome);

    error NotTheBot();
    error WrongState(uint256 round, Outcome outcome);
    error WrongBoard(uint256 committed, uint256 proved);
    error NotAMove(uint256 label);

    constructor(IInferenceConsumer consumer_) {
        consumer = consumer_;
        bot = msg.sender;
    }

    function open(uint256 board) external returns (uint256 round) {
        if (msg.sender != bot) revert NotTheBot();
        round = rounds.length;
        rounds.push(Round({ player: address(0), playerMove: Move.Rock, outcome: Outcome.Open, board: board }));
        emit RoundOpened(round, board);
    }

    function play(uint256 round, Move move) external {
        Round storage r = rounds[round];
        if (r.outcome != Outcome.Open) revert WrongState(round, r.outcome);
        (r.player, r.playerMove, r.outcome) = (msg.sender, move, Outcome.Played);
        emit Played(round, msg.sender, move);
    }

    /// The bot's move: the model's label on the committed board, from a proof the consumer verifies.
    function reveal(uint256 round, uint256[2] calldata a, uint256[2][2] calldata b, uint256[2] calldata c, uint256[2] calldata pubSignals) external returns (Outcome outcome) {
        Round storage r = rounds[round];
        if (r.outcome != Outcome.Played) revert WrongState(round, r.outcome);
        if (pubSignals[1] != r.board) revert WrongBoard(r.board, pubSignals[1]);
        uint256 label = consumer.submit(a, b, c, pubSignals); // reverts ProofRejected() unless the proof verifies
        if (label > uint256(Move.Scissors)) revert NotAMove(label);
        Move botMove = Move(label);
        // (player - bot) mod 3: 0 a draw, 1 the player's move beats the bot's, 2 the bot's beats the player's
        uint256 d = (3 + uint256(r.playerMove) - label) % 3;
        outcome = d == 0 ? Outcome.Draw : d == 1 ? Outcome.PlayerWins : Outcome.BotWins;
        r.outcome = outcome;
        if (outcome == Outcome.PlayerWins) wins[r.player] += 1;
        emit Settled(round, r.player, r.playerMove, botMove, outcome);
    }
}
