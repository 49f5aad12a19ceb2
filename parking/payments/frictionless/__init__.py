"""WeChat frictionless parking (微信支付分停车服务) in the lane flow: entry registration, exit deduction."""
