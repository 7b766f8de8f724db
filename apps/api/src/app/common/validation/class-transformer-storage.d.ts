// class-transformer keeps its metadata in this module and ships its types separately.
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}
