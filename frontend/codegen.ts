import type { CodegenConfig } from '@graphql-codegen/cli';

// Types come from the schema the node commits, so a change on the server side
// shows up here as a type error rather than as a runtime surprise.
const config: CodegenConfig = {
  schema: '../api/schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: true,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        strictScalars: true,
        scalars: {},
        avoidOptionals: { field: true, inputValue: false, object: true, defaultValue: true },
      },
    },
    // The node's stable error codes as a runtime list: the schema's
    // `ErrorCode` enum is made from the node's one list of codes.
    'src/gql/codes.ts': {
      plugins: ['typescript'],
      config: { onlyEnums: true, enumsAsConst: true, namingConvention: { enumValues: 'keep' } },
    },
  },
};

export default config;
