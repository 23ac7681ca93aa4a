import { Command } from 'clipanion';
import { SpacedriveCommand } from '../base-command.js';

export class DeviceShowCommand extends SpacedriveCommand {
  static override paths = [['device', 'show']];
  static override usage = Command.Usage({ description: 'Show this device: id, name, OS, public key', examples: [['Show', '$0 device show']] });

  async run() {
    const { device, dataDir } = await this.withCore(async (core) => ({ device: core.device, dataDir: core.dataDir }));
    this.out.result({ ...device, dataDir }, () => [
      `id          ${device.id}`,
      `name        ${device.name}`,
      `os          ${device.os}`,
      `public key  ${device.publicKey}`,
      `created     ${device.createdAt}`,
      `data dir    ${dataDir}`,
    ]);
  }
}
