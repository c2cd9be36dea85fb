/**
 * opencc-js ships its dictionaries (`opencc-js/dict/<Name>`, one serialized dictionary string per
 * module) without type declarations; text.ts imports three of them.
 */
declare module 'opencc-js/dict/*' {
  const dictionary: string;
  export default dictionary;
}
