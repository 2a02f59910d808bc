/** The CLI's own lines that carry text it did not write (names, engines' answers). */
import { plainText } from '../common/output-policy';

/** An error as one line on stderr: messages quote names and what engines answered, so they pass the output policy. */
export function errorLine(message: string): string {
  return `fleetdeck: ${plainText(message)}`;
}
