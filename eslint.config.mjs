// @ts-check
import withNuxt from './.nuxt/eslint.config.mjs'

export default withNuxt(
  { ignores: ['.output/**', 'data/**', '.e2e-data/**', 'test-results/**', 'playwright-report/**', 'bench/.results/**'] },
  {
    // Screens own their data through composables: pages and components never call the API themselves.
    files: ['pages/**/*.{vue,ts}', 'components/**/*.{vue,ts}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "Identifier[name='$trpc']",
          message: 'Pages and components do not call $trpc: put the query or mutation in a composable (composables/useX.ts).',
        },
      ],
      'vue/no-restricted-syntax': [
        'error',
        { selector: "Identifier[name='$trpc']", message: 'Templates do not call $trpc: use a composable.' },
      ],
    },
  },
  {
    // Layout is Prettier's (`npm run format`); ESLint keeps to correctness.
    rules: { 'vue/html-self-closing': 'off' },
  },
  {
    // Migrations are frozen snapshots written against `Kysely<any>` on purpose: they must not
    // change meaning when the current schema type changes (Kysely's own recommendation).
    files: ['db/migrations/**', 'db/migrate.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
)
