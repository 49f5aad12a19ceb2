// Typed operations from the committed SDL (the same SDL clients/web uses); reads only local files, offline.
// documentMode "string": documents are plain strings with their types attached, so no graphql runtime ships.
import type { CodegenConfig } from '@graphql-codegen/cli'

const config: CodegenConfig = {
  schema: '../../schema/schema.graphql',
  documents: ['src/**/*.ts', 'src/**/*.vue', '!src/gql/**/*'],
  ignoreNoDocuments: true,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: 'string',
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', Date: 'string', Time: 'string', JSON: 'unknown', Fen: 'number' },
      },
    },
  },
}

export default config
