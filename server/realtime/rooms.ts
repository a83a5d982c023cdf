/**
 * Adapter room names for contract keys. Socket ids are adapter rooms too, and
 * a socket id is also a valid match id or room name; the prefix keeps a
 * client from joining another socket's private room by naming it.
 */
const PREFIX = "#";

export const roomOf = (key: string): string => PREFIX + key;

/** The contract key of an adapter room, or undefined for a socket's own room. */
export const keyOf = (room: string): string | undefined =>
  room.startsWith(PREFIX) ? room.slice(PREFIX.length) : undefined;

/** How many keyed rooms a socket is in. */
export function keyedRooms(rooms: ReadonlySet<string>): number {
  let count = 0;
  for (const room of rooms) if (room.startsWith(PREFIX)) count++;
  return count;
}
