import type { SchemaData } from './types.js'
declare const data: SchemaData
export default data
