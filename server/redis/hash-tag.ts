/**
 * `{value}`: Redis Cluster places every key that contains it in the same hash
 * slot, so the keys of one match or one room can be read and written
 * together (one script, one shard). Values holding "{" or "}" still give one
 * slot per value; the key prefix must hold neither.
 */
export const hashTag = (value: string): string => `{${value}}`;
