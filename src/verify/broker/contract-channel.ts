/** Where a contract says a one-way message travels (shared by the one-way and the flow broker runs). */
import { channelFromMetadata } from '../../contract/channel';
import type { Channel, MessageInteraction } from '../../contract/model';

/** The contract's channel: the herald block's, else the one its metadata describes. */
export function contractChannel(interaction: MessageInteraction): Channel | undefined {
  return interaction.herald?.channel ?? channelFromMetadata(interaction.metadata);
}
