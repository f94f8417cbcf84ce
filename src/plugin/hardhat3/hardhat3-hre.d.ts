/**
 * For this repository's type check only (it compiles against Hardhat 2, which has no such module): Hardhat 3's
 * `hardhat/types/hre`, so ./index.ts can add `zkml` to its HardhatRuntimeEnvironment. Not emitted: in a Hardhat 3
 * project the augmentation in dist/plugin/hardhat3/index.d.ts extends the real module.
 */
declare module "hardhat/types/hre" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface HardhatRuntimeEnvironment {}
}
