//! clawguard-nft
