/** What both plugins' gas chains share: the lifted block gas limit and the hardforks without EIP-7825's cap. */

/** 2^53-1: Hardhat 2 lifts osaka's EIP-7825 per-transaction cap at this block gas limit (the value solidity-coverage uses). */
export const UNCAPPED = 0x1fffffffffffff;
/** Hardforks before osaka have no per-transaction cap. */
export const BEFORE_OSAKA = ["chainstart", "homestead", "dao", "tangerineWhistle", "spuriousDragon", "byzantium", "constantinople", "petersburg", "istanbul", "muirGlacier", "berlin", "london", "arrowGlacier", "grayGlacier", "merge", "shanghai", "cancun", "prague"];
