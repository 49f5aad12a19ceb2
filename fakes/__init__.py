"""Local fake WeChat Pay v3, Alipay and WeChat API servers that speak the real protocols."""
