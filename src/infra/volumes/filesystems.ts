/**
 * What a filesystem type says about a volume, by name as mountinfo and statfs report it. Platform detectors share
 * these tables; a Linux-only name on macOS is harmless.
 */

/** Kernel and runtime interfaces, not storage: hidden from `volume list` unless `--all`. */
const PSEUDO = new Set([
  'proc', 'sysfs', 'cgroup', 'cgroup2', 'devpts', 'devtmpfs', 'mqueue', 'debugfs', 'tracefs', 'securityfs', 'pstore',
  'bpf', 'configfs', 'fusectl', 'hugetlbfs', 'autofs', 'binfmt_misc', 'efivarfs', 'rpc_pipefs', 'nsfs', 'selinuxfs',
  'nfsd', 'rootfs', 'devfs', 'fuse.gvfsd-fuse', 'fuse.portal', 'fuse.lxcfs', 'ramfs', 'cpuset', 'sockfs', 'pipefs',
]);

const NETWORK = new Set([
  'nfs', 'nfs4', 'cifs', 'smb3', 'smbfs', 'ncpfs', 'afs', 'ceph', 'glusterfs', 'fuse.glusterfs', '9p', 'fuse.sshfs',
  'sshfs', 'fuse.rclone', 'davfs', 'fuse.davfs2', 'fuse.s3fs', 'fuse.gcsfuse', 'lustre', 'gpfs', 'beegfs', 'afpfs', 'webdav',
]);

/** Memory- or image-backed: no disk of their own. */
const VIRTUAL = new Set(['tmpfs', 'overlay', 'overlayfs', 'aufs', 'squashfs', 'fuse.squashfuse', 'zram']);

/** Clone (reflink) capable whatever the mount options; xfs only when its superblock has the reflink feature. */
const COPY_ON_WRITE = new Set(['btrfs', 'zfs', 'apfs', 'refs', 'bcachefs']);

export const isPseudoFileSystem = (fs: string): boolean => PSEUDO.has(fs);
export const isNetworkFileSystem = (fs: string): boolean => NETWORK.has(fs) || fs.startsWith('nfs');
export const isVirtualFileSystem = (fs: string): boolean => VIRTUAL.has(fs) || PSEUDO.has(fs);
export const isCopyOnWriteFileSystem = (fs: string): boolean => COPY_ON_WRITE.has(fs);
