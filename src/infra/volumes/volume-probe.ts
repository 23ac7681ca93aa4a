import type { DetectedVolume, SpeedTestOptions, SpeedTestResult, VolumeProbe } from '../../commands/volumes/ports.js';
import { DomainError } from '../../domain/errors.js';
import { LinuxVolumeDetector } from './linux/detect.js';
import { portableVolumeOf } from './portable.js';
import { runSpeedTest } from './speed-test.js';

interface Detector {
  detect(): Promise<DetectedVolume[]>;
  volumeOf(path: string): Promise<DetectedVolume>;
}

/** Where macOS (getmntinfo, IOKit) and Windows (GetVolumeInformation) detectors slot in. */
function detectorFor(platform: NodeJS.Platform, deviceId: string): Detector {
  if (platform === 'linux') return new LinuxVolumeDetector({ deviceId });
  const unsupported = async (): Promise<never> => {
    throw new DomainError('VOLUMES_UNSUPPORTED', 'failure', `volume detection is not implemented on ${platform} yet (only Linux)`);
  };
  // file operations need only the volume of a path, which POSIX calls tell well enough
  return { detect: unsupported, volumeOf: platform === 'win32' ? unsupported : (p) => portableVolumeOf(p, deviceId) };
}

/** The volumes of this device (`deviceId` is the Spacedrive device id that every fingerprint includes). */
export function createVolumeProbe(deviceId: string, platform: NodeJS.Platform = process.platform): VolumeProbe {
  const detector = detectorFor(platform, deviceId);
  return {
    detect: () => detector.detect(),
    volumeOf: (p: string) => detector.volumeOf(p),
    speedTest: (volume: DetectedVolume, options: SpeedTestOptions): Promise<SpeedTestResult> => runSpeedTest(volume, options),
  };
}

/**
 * For file operations choosing a strategy: the volume of a path (or of its nearest existing parent). Same
 * `deviceNumber` → rename works; same volume and `copyOnWrite` → clone; otherwise stream.
 */
export function volumeOf(path: string, deviceId: string): Promise<DetectedVolume> {
  return detectorFor(process.platform, deviceId).volumeOf(path);
}
