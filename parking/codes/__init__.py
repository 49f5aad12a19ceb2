"""The signed parking codes of a lot (停车码): make, sign, read, rotate, revoke and render them, and the coupon
claims of the merchant, VIP and conference codes. What a lane or in-lot code answers (a stay, a fee, a barrier)
is ``parking.code_scan``'s: it needs the lanes and payments above this layer."""
