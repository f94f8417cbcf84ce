import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "build/", "dist/", "cache/", "artifacts/", "typechain-types/", "native/build/", "coverage/", "docs/", "examples/*/{node_modules,build,cache,artifacts,types}/"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-control-regex": "off",
    },
  },
  // examples/: users' projects, written as a user would (CommonJS in Hardhat 2, ethers' untyped contracts)
  { files: ["examples/**"], rules: { "@typescript-eslint/no-require-imports": "off", "@typescript-eslint/no-explicit-any": "off" } },
);
