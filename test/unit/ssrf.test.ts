import { describe, expect, it } from 'vitest';
import { addressBlockReason, checkWebhookUrl, hostBlockReason, parseIPv4, parseIPv6 } from '../../workers/domain/ssrf';

describe('parseIPv4: every spelling a URL parser or inet_aton accepts', () => {
  it.each([
    ['127.0.0.1', 0x7f000001],
    ['2130706433', 0x7f000001],
    ['0x7f000001', 0x7f000001],
    ['0x7F.0.0.1', 0x7f000001],
    ['0177.0.0.1', 0x7f000001],
    ['0177.0000.0000.0001', 0x7f000001],
    ['127.1', 0x7f000001],
    ['127.0.1', 0x7f000001],
    ['169.254.43518', 0xa9fea9fe],
    ['0', 0],
    ['255.255.255.255', 0xffffffff],
    ['1.2.3.4.', 0x01020304],
  ])('%s', (text, value) => expect(parseIPv4(text)).toBe(value));

  it.each(['256.0.0.1', '1.2.3.4.5', '4294967296', '08.0.0.1', 'example.com', '1..2.3', ''])('%s is not an IPv4 address', (text) => {
    expect(parseIPv4(text)).toBeNull();
  });

  it('reads a lone 0x as zero (as browsers do)', () => expect(parseIPv4('0x')).toBe(0));
});

describe('parseIPv6', () => {
  it.each([
    ['::1', [0, 0, 0, 0, 0, 0, 0, 1]],
    ['::', [0, 0, 0, 0, 0, 0, 0, 0]],
    ['::ffff:127.0.0.1', [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]],
    ['::ffff:7f00:1', [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]],
    ['2001:db8::8a2e:370:7334', [0x2001, 0xdb8, 0, 0, 0, 0x8a2e, 0x370, 0x7334]],
    ['fe80::1', [0xfe80, 0, 0, 0, 0, 0, 0, 1]],
    ['1:2:3:4:5:6:7:8', [1, 2, 3, 4, 5, 6, 7, 8]],
    ['1:2:3:4:5:6:1.2.3.4', [1, 2, 3, 4, 5, 6, 0x102, 0x304]],
  ])('%s', (text, groups) => expect(parseIPv6(text)).toEqual(groups));

  it.each(['1:2:3', '1::2::3', '1:2:3:4:5:6:7:8:9', 'fe80::1%eth0', '::ffff:1.2.3', 'g::1', '127.0.0.1'])(
    '%s is not an IPv6 address',
    (text) => {
      expect(parseIPv6(text)).toBeNull();
    },
  );
});

describe('addressBlockReason: the SSRF table', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['0x7f000001', 'loopback'],
    ['2130706433', 'loopback'],
    ['0177.0.0.1', 'loopback'],
    ['127.1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'metadata'],
    ['169.254.0.1', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['192.0.2.1', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'unspecified'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['[::ffff:127.0.0.1]', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['2002:7f00:1::', 'loopback'],
    ['::127.0.0.1', 'reserved'],
    ['fc00::1', 'unique local'],
    ['fd00:ec2::254', 'unique local'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['fec0::1', 'site-local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['2001::1', 'Teredo'],
    ['100::1', 'reserved'],
    ['example.com', 'not an IP address'],
  ])('%s is refused (%s)', (address, why) => {
    expect(addressBlockReason(address)).toContain(why);
  });

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '1.1.1.1',
    '172.15.255.255',
    '172.32.0.1',
    '100.63.255.255',
    '100.128.0.1',
    '169.253.255.255',
    '11.0.0.1',
    '2606:4700:4700::1111',
    '2a00:1450:4001:80b::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::8.8.8.8',
    '2002:0808:0808::1',
  ])('%s is public', (address) => expect(addressBlockReason(address)).toBeNull());
});

describe('hostBlockReason: names and literal hosts', () => {
  it.each([
    ['localhost', 'internal'],
    ['LOCALHOST', 'internal'],
    ['localhost.', 'internal'],
    ['api.localhost', 'internal'],
    ['metadata.google.internal', 'internal'],
    ['instance-data.ec2.internal', 'internal'],
    ['printer.local', 'internal'],
    ['router.home.arpa', 'internal'],
    ['intranet', 'internal'],
    ['crm', 'single-label'],
    ['metadata', 'single-label'],
    ['0x7f000001', 'loopback'],
    ['2130706433', 'loopback'],
    ['[::ffff:127.0.0.1]', 'loopback'],
    ['169.254.169.254', 'metadata'],
    ['1.2.3.4.5', 'not a valid host name'],
  ])('%s → %s', (host, why) => expect(hostBlockReason(host)).toContain(why));

  it.each(['hooks.example.com', 'api.hubspot.com', 'hooks.zapier.com', 'localhost.example.com', '93.184.216.34'])(
    '%s may be called (if it resolves publicly)',
    (host) => {
      expect(hostBlockReason(host)).toBeNull();
    },
  );
});

describe('checkWebhookUrl', () => {
  it('accepts https URLs on public hosts, with the default or an explicit port', () => {
    for (const url of ['https://hooks.example.com/leadflare', 'https://hooks.example.com:8443/x?y=1', 'https://93.184.216.34/hook']) {
      expect(checkWebhookUrl(url)).toMatchObject({ ok: true });
    }
    expect(checkWebhookUrl('https://[2606:4700:4700::1111]/x')).toMatchObject({ ok: true, hostname: '2606:4700:4700::1111' });
  });

  it.each([
    ['http://hooks.example.com/x', 'https'],
    ['ftp://hooks.example.com/x', 'https'],
    ['hooks.example.com/x', 'full URL'],
    ['https://user:pass@hooks.example.com/x', 'user name and password'],
    ['https://user@hooks.example.com/x', 'user name and password'],
    ['https://localhost/x', 'internal'],
    ['https://127.0.0.1/x', 'loopback'],
    ['https://0x7f000001/x', 'loopback'],
    ['https://2130706433/x', 'loopback'],
    ['https://0177.0.0.1/x', 'loopback'],
    ['https://127.1/x', 'loopback'],
    ['https://[::1]/x', 'loopback'],
    ['https://[::ffff:127.0.0.1]/x', 'loopback'],
    ['https://169.254.169.254/latest/meta-data/', 'metadata'],
    ['https://metadata.google.internal/computeMetadata/v1/', 'internal'],
    ['https://10.0.0.1/x', 'private'],
    ['https://[fe80::1]/x', 'link-local'],
    ['https://hooks.example.com/a b', 'spaces'],
    [`https://hooks.example.com/${'a'.repeat(2100)}`, 'at most'],
  ])('%s is refused (%s)', (url, why) => {
    const check = checkWebhookUrl(url);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toContain(why);
  });
});
