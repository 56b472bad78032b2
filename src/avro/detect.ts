/** Whether an interaction is Avro, without loading avsc: verification loads the Avro code only for Avro interactions. */
import type { MessageInteraction } from '../contract/model';

/** True when the interaction declares an Avro payload (a `herald.avro` block). */
export function isAvroInteraction(interaction: MessageInteraction): boolean {
  return interaction.herald?.['avro'] !== undefined;
}
